/** The load lab: scenarios, coordinated-omission-free load generation, stress runs and reports. */
package dev.vigil.load;
