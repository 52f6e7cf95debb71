package io.flare.store.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flare.api.exception.FlareSerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FlareSerializerConcurrencyTest {
  record Job(int thread, int round, List<String> tags, long[] data, Map<String, Object> extra) {}

  @Test
  void roundTripsConcurrently_whenSharedByManyThreads() throws Exception {
    FlareSerializer serializer = new FlareSerializer(getClass().getClassLoader());
    int threads = 8;
    int rounds = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int checked = 0;
                  for (int round = 0; round < rounds; round++) {
                    long[] data = new long[(round % 7) * 10_000];
                    Arrays.fill(data, thread * 1_000_000L + round);
                    Job job =
                        new Job(
                            thread,
                            round,
                            List.of("t" + thread, "r" + round),
                            data,
                            Map.of("nested", new int[] {thread, round}, "text", "x".repeat(round)));
                    Job copy;
                    if (round % 2 == 0) {
                      copy = (Job) serializer.deserialize(serializer.serialize(job));
                    } else {
                      ByteArrayOutputStream out = new ByteArrayOutputStream();
                      serializer.serialize(job, out);
                      copy =
                          (Job) serializer.deserialize(new ByteArrayInputStream(out.toByteArray()));
                    }
                    assertThat(copy.thread()).isEqualTo(thread);
                    assertThat(copy.round()).isEqualTo(round);
                    assertThat(copy.tags()).isEqualTo(job.tags());
                    assertThat(Arrays.equals(copy.data(), data)).isTrue();
                    assertThat((int[]) copy.extra().get("nested")).containsExactly(thread, round);
                    long[] raw = (long[]) serializer.deserialize(serializer.serialize(data));
                    assertThat(Arrays.equals(raw, data)).isTrue();
                    if (round % 50 == 0) {
                      assertThatThrownBy(
                              () -> serializer.serialize(List.of(Thread.currentThread())))
                          .isInstanceOf(FlareSerializationException.class);
                    }
                    checked++;
                  }
                  return checked;
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo(rounds);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
