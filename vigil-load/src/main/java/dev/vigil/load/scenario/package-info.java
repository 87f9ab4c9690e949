/**
 * Scenario files: the model ({@link dev.vigil.load.scenario.Scenario}, phases, weighted flows of steps), the reader
 * ({@link dev.vigil.load.scenario.ScenarioFiles}, on the shared config reader, every problem located), templates,
 * JSON paths, captures and CSV feeders. Format: {@code docs/scenario-file.md}.
 */
package dev.vigil.load.scenario;
