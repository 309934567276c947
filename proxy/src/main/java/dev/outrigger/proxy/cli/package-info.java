/**
 * The {@code outrigger} command line (picocli): {@link dev.outrigger.proxy.cli.Main} and one
 * command class per subcommand. Commands never exit the JVM themselves; they return exit codes, so
 * tests run them in-process.
 */
package dev.outrigger.proxy.cli;
