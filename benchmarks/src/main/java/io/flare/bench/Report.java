package io.flare.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/** The results as a table on the console and as a JSON list on disk. */
final class Report {
  private Report() {}

  /**
   * Writes {@code results} to {@code file} as a JSON list of {@code {"name", "unit", "flare",
   * "baseline", "baselineValue"}} objects; figures keep four significant digits, a figure that
   * could not be measured is {@code null}.
   */
  static void writeJson(List<Result> results, Path file) throws IOException {
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      sb.append("  {\"name\": ")
          .append(string(r.name()))
          .append(", \"unit\": ")
          .append(string(r.unit()))
          .append(", \"flare\": ")
          .append(number(r.flare()))
          .append(", \"baseline\": ")
          .append(string(r.baseline()))
          .append(", \"baselineValue\": ")
          .append(number(r.baselineValue()))
          .append(i + 1 < results.size() ? "},\n" : "}\n");
    }
    sb.append("]\n");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  static String string(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    BigDecimal b = new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros();
    return (b.scale() < 0 ? b.setScale(0) : b).toPlainString();
  }

  /** The table: one line per result, with the ratio flare/baseline and, for times, the winner. */
  static String table(List<Result> results) {
    int nameWidth = "benchmark".length();
    int baselineWidth = "baseline".length();
    for (Result r : results) {
      nameWidth = Math.max(nameWidth, r.name().length());
      baselineWidth = Math.max(baselineWidth, r.baseline().length());
    }
    String format = "%-" + nameWidth + "s  %-9s  %12s  %12s  %13s  %-" + baselineWidth + "s  %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            format,
            "benchmark",
            "unit",
            "flare",
            "baseline",
            "flare/baseline",
            "baseline",
            ""));
    for (Result r : results) {
      String verdict = "";
      if (r.unit().equals("s") && !Double.isNaN(r.ratio())) {
        verdict =
            Math.abs(r.ratio() - 1) < 0.02
                ? "about even"
                : r.flare() < r.baselineValue() ? "Flare faster" : "Ignite faster";
      }
      sb.append(
          String.format(
              Locale.ROOT,
              format,
              r.name(),
              r.unit(),
              figure(r.flare()),
              figure(r.baselineValue()),
              Double.isNaN(r.ratio()) || Double.isInfinite(r.ratio())
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", r.ratio()),
              r.baseline(),
              verdict));
    }
    return sb.toString();
  }

  /** {@code 12,345} for big figures, {@code 3.21} for small ones. */
  static String figure(double d) {
    if (Double.isNaN(d)) {
      return "-";
    }
    if (Math.abs(d) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", d);
    }
    return String.format(Locale.ROOT, "%.3g", d);
  }

  /** Every round's figure, for the log. */
  static String rounds(double[] rounds) {
    StringJoiner j = new StringJoiner(" ", "[", "]");
    for (double r : rounds) {
      j.add(figure(r));
    }
    return j.toString();
  }
}
