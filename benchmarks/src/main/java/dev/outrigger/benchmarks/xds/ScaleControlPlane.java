package dev.outrigger.benchmarks.xds;

import com.sun.management.OperatingSystemMXBean;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.translate.MeshXds;
import dev.outrigger.controlplane.xds.Scheduler;
import dev.outrigger.controlplane.xds.XdsServer;
import io.grpc.Server;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The control plane under test, in a JVM of its own so its heap and CPU are its alone: the xDS
 * server and the mesh translator as {@code outrigger control-plane} assembles them, serving
 * {@link ScaleMesh} on loopback. {@link XdsScale} drives it by lines on stdin and reads the
 * answers, prefixed {@value #ANSWER}, on stdout:
 * {@code heap} (used heap after GC, and RSS), {@code cpu} (process CPU time),
 * {@code model N} (builds the model at revision N: parsing is not the push), {@code apply}
 * (serves it), {@code quit}.
 */
public final class ScaleControlPlane {
  static final String ANSWER = "@@ ";

  private ScaleControlPlane() {}

  /** Arguments: services, namespaces. */
  public static void main(String[] args) throws IOException, InterruptedException {
    ScaleMesh mesh = new ScaleMesh(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    Scheduler.SystemScheduler scheduler = Scheduler.system();
    MeshXds meshXds = new MeshXds(mesh.model(0), scheduler, MeshXds.DEFAULT_GRACE);
    XdsServer xds = XdsServer.builder(new SimpleMeterRegistry()).resolver(meshXds).events(meshXds).build();
    meshXds.serveTo(xds.cache());
    Server server = xds.listen(new InetSocketAddress("127.0.0.1", 0));
    answer("port " + server.getPort());
    MeshModel next = null;
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "heap" -> answer("heap " + heapAfterGc() + " " + rssBytes());
        case "cpu" -> answer("cpu " + cpuNanos());
        case "model" -> {
          next = mesh.model(Integer.parseInt(words[1]));
          answer("ok");
        }
        case "apply" -> {
          meshXds.modelChanged(next);
          answer("ok");
        }
        default -> answer("unknown command " + line);
      }
    }
    // Streams are still being cancelled (their disconnects schedule work): the process just ends.
    server.shutdownNow();
  }

  private static void answer(String text) {
    System.out.println(ANSWER + text);
    System.out.flush();
  }

  /** Used heap once garbage is collected; a few rounds, as one GC may leave finalizable garbage. */
  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
