package io.flare.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Settings are checked with messages that name the property and its range. */
class FlarePluginConfigurationTest {
  @Test
  void defaults_areValid() {
    FlarePluginConfiguration cfg = new FlarePluginConfiguration();
    cfg.validate();
    assertThat(cfg.getChunkSize()).isEqualTo((4 << 20) - 64);
    assertThat(cfg.effectiveChunkCacheSize())
        .isEqualTo(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));
  }

  @Test
  void chunkCacheSize_minusOneIsTheDefault_zeroTurnsItOff_lessIsRefused() {
    assertThat(new FlarePluginConfiguration().setChunkCacheSize(0).effectiveChunkCacheSize())
        .isZero();
    assertThat(new FlarePluginConfiguration().setChunkCacheSize(5 << 20).effectiveChunkCacheSize())
        .isEqualTo(5 << 20);
    assertThatThrownBy(() -> new FlarePluginConfiguration().setChunkCacheSize(-2).validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkCacheSize")
        .hasMessageContaining("-2");
  }

  @Test
  void chunkSize_outOfRange_isRefusedByName() {
    assertThatThrownBy(() -> new FlarePluginConfiguration().setChunkSize(1000).validate())
        .hasMessageContaining("chunkSize must be 64 KiB..64 MiB, got 1000");
  }

  @Test
  void pageSize_zeroOrAPowerOfTwoFrom1To16KiB() {
    new FlarePluginConfiguration().setPageSize(0).validate();
    new FlarePluginConfiguration().setPageSize(16 << 10).validate();
    assertThatThrownBy(() -> new FlarePluginConfiguration().setPageSize(3000).validate())
        .hasMessageContaining("pageSize")
        .hasMessageContaining("3000");
    assertThatThrownBy(() -> new FlarePluginConfiguration().setPageSize(32 << 10).validate())
        .hasMessageContaining("pageSize");
  }

  @Test
  void resources_mustBeFiniteAndNonNegative() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1}) {
      assertThatThrownBy(
              () ->
                  new FlarePluginConfiguration()
                      .setResources(java.util.Map.of("GPU", bad))
                      .validate())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("FlarePluginConfiguration.resources")
          .hasMessageContaining("GPU");
    }
    new FlarePluginConfiguration().setResources(java.util.Map.of("GPU", 0.5)).validate();
  }

  @Test
  void allowedClassPrefixes_blankEntries_areRefusedByName() {
    assertThatThrownBy(
            () ->
                new FlarePluginConfiguration()
                    .setAllowedClassPrefixes(java.util.List.of("com.example.", " "))
                    .validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FlarePluginConfiguration.allowedClassPrefixes")
        .hasMessageContaining("\" \"");
    new FlarePluginConfiguration().setAllowedClassPrefixes(java.util.List.of("com.x.")).validate();
  }
}
