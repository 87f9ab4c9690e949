/** JMH benchmarks. Run: {@code java -jar bench/target/benchmarks.jar}; see BENCHMARKS.md. */
package dev.vigil.bench;
