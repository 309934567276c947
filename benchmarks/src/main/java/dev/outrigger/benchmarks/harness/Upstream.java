package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx as the upstream every topology ends at: one worker, no access log, answering from files
 * on HTTP/1.1 and h2c (prior knowledge). A POST is answered like a GET of the same file (nginx's
 * static module refuses POST with 405; the error page turns that into the file). gRPC calls under
 * {@link #GRPC_PATH} get an empty message and {@code grpc-status: 0} in the trailers.
 *
 * <p>nginx rather than an in-repo Netty server: a C server with a fixed footprint and no JIT or GC
 * of its own adds the least noise, and it is the same for every topology.
 */
final class Upstream {
  static final String GRPC_PATH = "/bench.Bench/Unary";

  final int http1Port;
  final int h2cPort;

  private Upstream(int http1Port, int h2cPort) {
    this.http1Port = http1Port;
    this.h2cPort = h2cPort;
  }

  static Upstream start(Workspace workspace, StartedProcesses started) throws IOException, InterruptedException {
    Path root = workspace.dir("nginx");
    Files.writeString(root.resolve("1k"), "x".repeat(1024));
    Files.writeString(root.resolve("64k"), "x".repeat(64 * 1024));
    Files.write(root.resolve("grpc-reply"), GrpcFrames.emptyReply());
    int http1 = Ports.free();
    int h2c = Ports.free();
    Path conf = root.resolve("nginx.conf");
    Files.writeString(conf, """
        worker_processes 1;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log;
        events { worker_connections 4096; }
        http {
          access_log off;
          keepalive_requests 1000000;
          keepalive_timeout 300s;
          client_body_temp_path %1$s/body;
          client_max_body_size 1m;
          server {
            listen 127.0.0.1:%2$d;
            listen 127.0.0.1:%3$d http2;
            root %1$s;
            error_page 405 =200 $uri;
            location / { try_files $uri =404; }
            location = /grpc-reply {
              internal;
              default_type application/grpc;
              add_trailer grpc-status 0 always;
            }
            location %4$s { error_page 405 =200 /grpc-reply; return 405; }
          }
        }
        """.formatted(root, http1, h2c, GRPC_PATH));
    ManagedProcess nginx = started.start("nginx",
        List.of("nginx", "-c", conf.toString(), "-p", root.toString()));
    Readiness.untilListening(nginx, http1);
    Readiness.untilListening(nginx, h2c);
    return new Upstream(http1, h2c);
  }
}
