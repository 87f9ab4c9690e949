/** Stress runs: how the arrival rate steps up ({@link dev.vigil.load.stress.StressPlan}) until the SLO or failure criteria break. */
package dev.vigil.load.stress;
