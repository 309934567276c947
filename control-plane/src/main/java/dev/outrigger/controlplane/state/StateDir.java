package dev.outrigger.controlplane.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The control plane's state directory in standalone mode: the CA's keys and roots, the join
 * tokens, the audit log. The running control plane and {@code outrigger ctl} both change it, so
 * every read-modify-write runs under {@link #locked} and every file is replaced atomically.
 */
public final class StateDir {
  /** Owner read/write only: keys, token hashes, CA state. */
  private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

  /**
   * A file lock is held per process, so two StateDir objects in one JVM (the server and an
   * in-process ctl in tests) must also exclude each other here: one lock per directory.
   */
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path root;

  private StateDir(Path root) {
    this.root = root;
  }

  /** Opens {@code directory}, creating it (owner-only) when missing. */
  public static StateDir open(Path directory) throws IOException {
    Path root = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
    }
    return new StateDir(root.toRealPath());
  }

  public Path path() {
    return root;
  }

  public Path resolve(String relative) {
    return root.resolve(relative);
  }

  /** Reads a UTF-8 file of the state directory. */
  public String read(String relative) throws IOException {
    return Files.readString(resolve(relative), StandardCharsets.UTF_8);
  }

  public boolean exists(String relative) {
    return Files.exists(resolve(relative));
  }

  /**
   * Replaces {@code relative} with {@code text}, readable by the owner only. The temporary file
   * is created with mode 0600 before anything is written to it, so a key never sits on disk with
   * wider permissions, not even for a moment.
   */
  public void writePrivate(String relative, String text) throws IOException {
    write(relative, text, PRIVATE);
  }

  /** Replaces {@code relative} with {@code text}, world-readable (the trust bundle). */
  public void writePublic(String relative, String text) throws IOException {
    write(relative, text, PosixFilePermissions.fromString("rw-r--r--"));
  }

  private void write(String relative, String text, Set<PosixFilePermission> permissions)
      throws IOException {
    Path target = resolve(relative);
    Files.createDirectories(target.getParent(), PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
    Path temporary =
        Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
            PosixFilePermissions.asFileAttribute(PRIVATE));
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(temporary, permissions);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Deletes a directory of the state directory and the files in it (a retired authority). */
  public void deleteDirectory(String relative) throws IOException {
    Path directory = resolve(relative);
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
  }

  /** An action on the state directory that may fail with an I/O error or a refusal. */
  @FunctionalInterface
  public interface Action<T, E extends Exception> {
    T run() throws IOException, E;
  }

  /**
   * Runs {@code action} holding the directory's lock, against other threads and other processes
   * ({@code outrigger ctl} while the control plane runs).
   */
  public <T, E extends Exception> T locked(Action<T, E> action) throws IOException, E {
    ReentrantLock threads = IN_PROCESS.computeIfAbsent(root, path -> new ReentrantLock());
    threads.lock();
    try (FileChannel channel =
        FileChannel.open(resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.lock(); // released when the channel closes
      return action.run();
    } finally {
      threads.unlock();
    }
  }
}
