package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.TestAide;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Benchmark, not a test (./aide bench -Dbench.main=dev.aide.bench.DocumentBenchmark; -Dbench.pages=300): a long PDF
 * read by the server. It writes a PDF of that many A4 pages of prose (45 lines each; the sentences of LoCoMo's
 * conversations when ../shared/bench-data/locomo is there, read at run time and never shipped, else a fixed word
 * list), uploads it to POST /api/v1/documents on an in-process server and waits for it to be ready, sampling the
 * JVM's heap every 20 ms. Prints the file's size, the time to ready, passages a second, and the heap in use before,
 * at its peak while reading and after, and the process's peak resident memory (VmHWM).
 */
public final class DocumentBenchmark {

  private static final int LINES_PER_PAGE = 45;
  private static final int CHARS_PER_LINE = 90;

  public static void main(String[] args) throws Exception {
    int pages = Integer.getInteger("bench.pages", 300);
    byte[] pdf = pdf(pages, sentences());
    System.out.printf("PDF: %d pages, %.1f MB%n", pages, pdf.length / 1e6);

    Map<String, String> env = Map.of("AIDE_HTTP_BODY_LIMIT_BYTES", String.valueOf(64L << 20),
        "AIDE_SCHEDULER_POLL_MILLIS", "100");
    try (TestAide aide = TestAide.start(env, Clock.systemUTC()); Api api = new Api(aide.port())) {
      api.register("document-bench@example.com", "UTC");
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      long before = memory.getHeapMemoryUsage().getUsed();
      AtomicLong peak = new AtomicLong(before);
      Thread sampler = Thread.ofPlatform().daemon().start(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      long started = System.nanoTime();
      Api.Response accepted = api.send(HttpMethod.POST, "/api/v1/documents?title=Long%20report&filename=report.pdf",
          Buffer.buffer(pdf), "application/pdf");
      if (accepted.status() != 202) {
        throw new IllegalStateException("upload refused: " + accepted.status() + " " + accepted.body());
      }
      String id = accepted.json().getString("id");
      double acceptedMs = (System.nanoTime() - started) / 1e6;
      JsonObject document;
      do {
        Thread.sleep(100);
        document = api.get("/api/v1/documents/" + id).json();
      } while (document.getString("status").equals("pending") || document.getString("status").equals("processing"));
      double seconds = (System.nanoTime() - started) / 1e9;
      sampler.interrupt();
      sampler.join();
      System.gc();
      long after = memory.getHeapMemoryUsage().getUsed();
      int chunks = document.getInteger("chunks", 0);
      System.out.printf("status %s: %d passages; answered 202 in %.0f ms; ready in %.1f s (%.1f passages/s)%n",
          document.getString("status"), chunks, acceptedMs, seconds, chunks / seconds);
      System.out.printf("heap in use: before %d MB, peak %d MB (+%d MB), after %d MB; max heap %d MB; "
              + "peak resident memory %s%n", before >> 20, peak.get() >> 20, (peak.get() - before) >> 20, after >> 20,
          memory.getHeapMemoryUsage().getMax() >> 20, residentPeak());
      JsonArray found = api.get("/api/v1/memories/search?limit=3&q=" + java.net.URLEncoder.encode(
          "what happened at the support group", java.nio.charset.StandardCharsets.UTF_8)).json().getJsonArray("items");
      System.out.println("search afterwards: " + found.size() + " results, first from "
          + (found.isEmpty() ? "-" : found.getJsonObject(0).getString("source")));
    }
    System.exit(0);
  }

  /** The process's peak resident set (VmHWM of /proc/self/status), or "unknown" off Linux. */
  private static String residentPeak() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return "unknown";
    }
    return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
        .map(l -> (Long.parseLong(l.replaceAll("\\D", "")) >> 10) + " MB").findFirst().orElse("unknown");
  }

  /** A4 pages of text in Helvetica, 45 lines of up to 90 characters each, paragraphs from the sentences given. */
  private static byte[] pdf(int pages, List<String> sentences) throws IOException {
    Random random = new Random(7);
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (int p = 0; p < pages; p++) {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream text = new PDPageContentStream(document, page)) {
          text.beginText();
          text.setFont(font, 10);
          text.setLeading(16);
          text.newLineAtOffset(50, 790);
          for (String line : lines(sentences, random)) {
            text.showText(line);
            text.newLine();
          }
          text.endText();
        }
      }
      document.save(out);
      return out.toByteArray();
    }
  }

  private static List<String> lines(List<String> sentences, Random random) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    while (lines.size() < LINES_PER_PAGE) {
      for (String word : sentences.get(random.nextInt(sentences.size())).split("\\s+")) {
        if (line.length() + word.length() + 1 > CHARS_PER_LINE) {
          lines.add(line.toString());
          line.setLength(0);
        }
        line.append(line.isEmpty() ? "" : " ").append(word);
      }
      if (random.nextInt(6) == 0) { // a paragraph ends
        lines.add(line.toString());
        lines.add("");
        line.setLength(0);
      }
    }
    return lines.subList(0, LINES_PER_PAGE);
  }

  /** Sentences of LoCoMo's turns (WinAnsi characters only, as the PDF's standard font needs), else a fixed text. */
  private static List<String> sentences() throws IOException {
    Path data = Path.of(System.getProperty("bench.locomo", "../shared/bench-data/locomo"));
    List<String> out = new ArrayList<>();
    if (Files.isDirectory(data)) {
      try (Stream<Path> files = Files.list(data)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          JsonObject conversation = new JsonObject(Files.readString(file));
          for (String key : conversation.fieldNames()) {
            if (conversation.getValue(key) instanceof JsonArray turns) {
              for (Object turn : turns) {
                String text = ((JsonObject) turn).getString("text", "");
                if (!text.isBlank() && text.chars().allMatch(c -> c >= 32 && c < 127)) {
                  out.add(text);
                }
              }
            }
          }
        }
      }
    }
    if (out.isEmpty()) {
      out.add("The tenant gives two months' notice in writing before the end of the lease, and the landlord returns "
          + "the deposit within thirty days once the flat is handed back in the state it was let.");
    }
    return out;
  }
}
