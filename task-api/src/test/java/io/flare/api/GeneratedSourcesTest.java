package io.flare.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratedSourcesTest {
  private static final Path MAIN = Path.of("src/main/java");

  @Test
  void checkedInOverloads_matchTheGenerator() throws Exception {
    if (Boolean.getBoolean("flare.regenerate")) {
      OverloadGenerator.write(MAIN);
    }
    for (Map.Entry<String, String> e : OverloadGenerator.render().entrySet()) {
      Path file = MAIN.resolve(e.getKey());
      assertThat(file)
          .as("generated file %s (regenerate with -Dflare.regenerate=true)", file)
          .exists();
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as(
              "%s differs from what OverloadGenerator renders: regenerate with "
                  + "mvn -pl task-api test -Dtest=GeneratedSourcesTest -Dflare.regenerate=true",
              file)
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void flare_hasTwoToTheNOverloadsPerArity() {
    long taskOverloads =
        java.util.Arrays.stream(Flare.class.getMethods())
            .filter(m -> m.getName().equals("task"))
            .count();
    // sum over n=0..6 of 2^n = 127, for value-returning and void functions
    assertThat(taskOverloads).isEqualTo(2 * 127);
    long actorOverloads =
        java.util.Arrays.stream(Flare.class.getMethods())
            .filter(m -> m.getName().equals("actor"))
            .count();
    assertThat(actorOverloads).isEqualTo(127);
  }
}
