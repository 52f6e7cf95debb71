package io.flare.bench;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs the benchmarks and reports them: {@code benchmarks/run [name...]} from the repository root
 * (a name may use {@code *}, such as {@code '*_client'}; {@code --list} prints the names). Starts
 * the benchmark cluster in this JVM, runs each selected benchmark (Flare and its peer side by
 * side), prints a table with the ratio flare/baseline and writes {@code
 * benchmarks/target/results.json} (or {@code -Dbench.out=FILE}). A benchmark that fails or runs
 * past {@code bench.timeoutSeconds} (default 240) is reported and skipped, and the exit status is
 * then 1.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    List<Benchmark> all = Benchmarks.all();
    if (List.of(args).contains("--list")) {
      all.forEach(b -> System.out.println(b.name()));
      return;
    }
    List<Benchmark> selected = select(all, args);
    if (selected == null) {
      System.exit(2);
      return;
    }
    Settings settings = Settings.fromSystemProperties();
    Path out = Path.of(System.getProperty("bench.out", "benchmarks/target/results.json"));
    long timeout = Long.getLong("bench.timeoutSeconds", 240);
    System.out.printf(
        Locale.ROOT,
        "Flare benchmarks, %s, %d cores, %s %s, Java %s, max heap %d MB%n%s%n",
        ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        settings);
    List<Result> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    ExecutorService runner =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "benchmark");
              t.setDaemon(true);
              return t;
            });
    try (BenchCluster cluster = new BenchCluster();
        BenchContext context = new BenchContext(settings, cluster)) {
      for (Benchmark b : selected) {
        System.gc();
        System.out.println(b.name() + " ...");
        long t0 = System.nanoTime();
        Future<List<Result>> f = runner.submit(() -> b.run(context));
        try {
          List<Result> rows = f.get(timeout, TimeUnit.SECONDS);
          results.addAll(rows);
          System.out.printf(Locale.ROOT, "  done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        } catch (TimeoutException e) {
          f.cancel(true);
          failures.add(b.name() + ": no result after " + timeout + " s");
          System.out.println("  TIMED OUT after " + timeout + " s");
          runner =
              Executors.newSingleThreadExecutor(
                  r -> {
                    Thread t = new Thread(r, "benchmark");
                    t.setDaemon(true);
                    return t;
                  });
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(b.name() + ": " + e.getCause());
          System.out.println("  FAILED: " + e.getCause());
          e.getCause().printStackTrace(System.out);
        }
      }
    } finally {
      runner.shutdownNow();
    }
    System.out.printf(
        Locale.ROOT, "%nAll done in %.0f s.%n%n", (System.nanoTime() - started) / 1e9);
    System.out.print(Report.table(results));
    Report.writeJson(results, out);
    System.out.println();
    System.out.println("Results written to " + out.toAbsolutePath().normalize());
    if (!failures.isEmpty()) {
      System.out.println("Failed:");
      failures.forEach(f -> System.out.println("  " + f));
    }
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /** The benchmarks {@code args} name, in registry order; all for none; null after an error. */
  static List<Benchmark> select(List<Benchmark> all, String[] args) {
    if (args.length == 0) {
      return all;
    }
    Set<Benchmark> chosen = new LinkedHashSet<>();
    for (String arg : args) {
      Pattern p = Pattern.compile(Pattern.quote(arg).replace("*", "\\E.*\\Q"));
      boolean any = false;
      for (Benchmark b : all) {
        if (p.matcher(b.name()).matches()) {
          chosen.add(b);
          any = true;
        }
      }
      if (!any) {
        System.err.println("No benchmark is called '" + arg + "'. The benchmarks are:");
        all.forEach(b -> System.err.println("  " + b.name()));
        return null;
      }
    }
    return all.stream().filter(chosen::contains).toList();
  }
}
