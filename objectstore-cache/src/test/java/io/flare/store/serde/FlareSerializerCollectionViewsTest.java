package io.flare.store.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Views and anonymous subclasses of collections arrive as copies of their elements. */
class FlareSerializerCollectionViewsTest {
  private final FlareSerializer serializer =
      new FlareSerializer(FlareSerializerCollectionViewsTest.class.getClassLoader());

  @SuppressWarnings("unchecked")
  private <T> T copy(Object value) {
    return (T) serializer.deserialize(serializer.serialize(value));
  }

  @Test
  void subList_arrivesAsAList() {
    List<Integer> sub = new ArrayList<>(List.of(1, 2, 3, 4)).subList(1, 3);
    List<Integer> got = copy(sub);
    assertThat(got).containsExactly(2, 3);
    got.add(9); // a plain, mutable list
    assertThat(got).containsExactly(2, 3, 9);
  }

  @Test
  void mapViews_arriveAsCopies() {
    Map<String, Integer> m = new HashMap<>(Map.of("a", 1, "b", 2));
    assertThat((java.util.Set<String>) copy(m.keySet())).containsExactlyInAnyOrder("a", "b");
    assertThat((java.util.Collection<Integer>) copy(m.values())).containsExactlyInAnyOrder(1, 2);
    TreeMap<String, Integer> t = new TreeMap<>(Map.of("a", 1, "b", 2, "c", 3));
    SortedMap<String, Integer> head = copy(t.headMap("c"));
    assertThat(head).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
  }

  @Test
  @SuppressWarnings({"serial", "DoubleBraceInitialization"})
  void doubleBraceCollections_arriveWithTheirElements() {
    List<Integer> list = copy(doubleBraceList());
    assertThat(list).isEqualTo(List.of(1, 2));
    TreeMap<String, Integer> reversed = copy(doubleBraceTreeMap());
    assertThat(reversed.firstKey()).isEqualTo("b"); // the comparator came along
    assertThat(reversed).containsEntry("a", 1).containsEntry("b", 2);
  }

  private static List<Integer> doubleBraceList() {
    return new ArrayList<>() {
      {
        add(1);
        add(2);
      }
    };
  }

  private static TreeMap<String, Integer> doubleBraceTreeMap() {
    return new TreeMap<>(Comparator.reverseOrder()) {
      {
        put("a", 1);
        put("b", 2);
      }
    };
  }

  @Test
  void linkedHashMaps_keepTheirOrderKind() {
    java.util.LinkedHashMap<String, Integer> lru = new java.util.LinkedHashMap<>(16, 0.75f, true);
    lru.put("a", 1);
    lru.put("b", 2);
    lru.put("c", 3);
    lru.get("a"); // access order: b, c, a
    java.util.LinkedHashMap<String, Integer> got = copy(lru);
    assertThat(got.keySet()).containsExactly("b", "c", "a");
    got.get("b");
    assertThat(got.keySet()).containsExactly("c", "a", "b"); // still in access order
    java.util.LinkedHashMap<String, Integer> plain = new java.util.LinkedHashMap<>();
    plain.put("x", 1);
    plain.put("y", 2);
    java.util.LinkedHashMap<String, Integer> plainCopy = copy(plain);
    plainCopy.get("x");
    assertThat(plainCopy.keySet()).containsExactly("x", "y"); // still in insertion order
  }
}
