package dev.outrigger.proxy.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A plain socket speaking HTTP/1.1 by hand: for what real clients refuse to send (smuggling, pipelining). */
final class RawHttpClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttpClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  RawHttpClient send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads one response: status line, headers, and a body framed by Content-Length or chunking. */
  Response readResponse() throws IOException {
    String status = readLine();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(), (a, b) -> a + "," + b);
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    String body = "";
    if (headers.containsKey("content-length")) {
      body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.ISO_8859_1);
    } else if ("chunked".equals(headers.get("transfer-encoding"))) {
      body = readChunked();
    }
    return new Response(code, headers, body);
  }

  /** True when the peer closed the connection (end of stream before any further byte). */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private String readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailers
        }
        return body.toString(StandardCharsets.ISO_8859_1);
      }
      body.write(in.readNBytes(size));
      readLine();
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        throw new IOException("connection closed; read so far: " + line);
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  record Response(int status, Map<String, String> headers, String body) {}
}
