package io.flare.store.serde;

import static io.flare.store.serde.SerdeTesting.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.flare.api.exception.FlareSerializationException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FlareSerializerRoundTripTest {
  private final FlareSerializer serializer =
      new FlareSerializer(FlareSerializerRoundTripTest.class.getClassLoader());

  record Point(int x, int y) {}

  record Route(String name, List<Point> stops, Map<String, Optional<Point>> landmarks) {}

  record Box<T>(T content, List<T> spares) {}

  enum Color {
    RED,
    GREEN,
    BLUE
  }

  enum Op {
    ADD {
      @Override
      int apply(int a, int b) {
        return a + b;
      }
    },
    MUL {
      @Override
      int apply(int a, int b) {
        return a * b;
      }
    };

    abstract int apply(int a, int b);
  }

  /** Final fields, no no-arg constructor, not Serializable, a constructor that must not run. */
  static final class Money {
    static int constructed;
    private final BigDecimal amount;
    private final Currency currency;
    private final transient String display;

    Money(BigDecimal amount, String currencyCode) {
      constructed++;
      this.amount = Objects.requireNonNull(amount);
      this.currency = Currency.getInstance(currencyCode);
      this.display = amount + " " + currencyCode;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Money m && m.amount.equals(amount) && m.currency.equals(currency);
    }

    @Override
    public int hashCode() {
      return Objects.hash(amount, currency);
    }
  }

  /** A plain mutable class that is not Serializable. */
  static class Account {
    String owner;
    long balance;
    List<Money> history = new ArrayList<>();
    Map<Color, int[]> limits = new EnumMap<>(Color.class);
  }

  static class Node {
    String name;
    Node next;
    List<Node> children = new ArrayList<>();

    Node(String name) {
      this.name = name;
    }
  }

  interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}

  static int triple(int x) {
    return 3 * x;
  }

  static Stream<Named<Object>> simpleValues() {
    return Stream.of(
        named("String", "héllo, wörld ✓"),
        named("empty String", ""),
        named("Integer", 42),
        named("Long", Long.MIN_VALUE),
        named("Double NaN", Double.NaN),
        named("Float", -0.0f),
        named("Character", 'λ'),
        named("Byte", (byte) -7),
        named("Short", (short) 12_345),
        named("Boolean", true),
        named("Object[] with null", new Object[] {1, "two", null, 4.0}),
        named("String[]", new String[] {"a", null, "c"}),
        named("int[][]", new int[][] {{1, 2}, {}, {3}}),
        named("Integer[]", new Integer[] {1, null, 3}),
        named("BigDecimal", new BigDecimal("-12345678901234567890.000123e-7")),
        named("BigInteger", BigInteger.ONE.shiftLeft(300).subtract(BigInteger.TEN)),
        named("UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
        named("Optional", Optional.of("present")),
        named("Optional.empty", Optional.empty()),
        named("OptionalInt", OptionalInt.of(7)),
        named("OptionalLong", OptionalLong.empty()),
        named("OptionalDouble", OptionalDouble.of(2.5)),
        named("Currency", Currency.getInstance("EUR")),
        named("Locale", Locale.CANADA_FRENCH),
        named("URI", URI.create("https://example.com/a?b=c#d")),
        named("BitSet", BitSet.valueOf(new long[] {0b1011L, -1L})),
        named("Class", Map.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("simpleValues")
  void roundTrips_whenSimpleValue(Object value) {
    assertThat(roundTrip(serializer, value)).isEqualTo(value);
  }

  static Stream<Named<Object>> javaTimeValues() {
    return Stream.of(
        named("Instant", Instant.ofEpochSecond(1_700_000_000L, 123_456_789)),
        named("LocalDate", LocalDate.of(2024, 2, 29)),
        named("LocalTime", LocalTime.of(23, 59, 58, 999)),
        named("LocalDateTime", LocalDateTime.of(2030, 1, 2, 3, 4, 5)),
        named(
            "ZonedDateTime", ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0, ZoneId.of("Europe/Paris"))),
        named("OffsetDateTime", OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-5))),
        named("OffsetTime", OffsetTime.of(12, 0, 0, 0, ZoneOffset.UTC)),
        named("Duration", Duration.ofMillis(-1234567)),
        named("Period", Period.of(1, -2, 3)),
        named("ZoneId", ZoneId.of("Asia/Tokyo")),
        named("ZoneOffset", ZoneOffset.ofHoursMinutes(5, 30)),
        named("Year", Year.of(1999)),
        named("YearMonth", YearMonth.of(2020, 12)),
        named("MonthDay", MonthDay.of(2, 29)),
        named("DayOfWeek", DayOfWeek.FRIDAY),
        named("Month", Month.JUNE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javaTimeValues")
  void roundTrips_whenJavaTimeValue(Object value) {
    assertThat(roundTrip(serializer, value)).isEqualTo(value);
  }

  static Stream<Named<Object>> immutableJdkCollections() {
    List<Integer> listWithNulls = Stream.of(1, null, 3).toList();
    Map<String, Integer> linked = new LinkedHashMap<>();
    linked.put("z", 1);
    linked.put("a", null);
    return Stream.of(
        named("List.of()", List.of()),
        named("List.of(1)", List.of(1)),
        named("List.of(1, 2)", List.of(1, 2)),
        named("List.of(1..5)", List.of(1, 2, 3, 4, 5)),
        named("List.of(...).subList", List.of(1, 2, 3, 4, 5).subList(1, 4)),
        named("List.copyOf", List.copyOf(new ArrayList<>(List.of("a", "b", "c")))),
        named("stream().toList()", Stream.of("x", "y", "z").toList()),
        named("stream().toList() with nulls", listWithNulls),
        named("Set.of()", Set.of()),
        named("Set.of(1)", Set.of("one")),
        named("Set.of(1..4)", Set.of(1, 2, 3, 4)),
        named("Set.copyOf", Set.copyOf(List.of(3, 1, 2))),
        named("Map.of()", Map.of()),
        named("Map.of(k, v)", Map.of("k", 1)),
        named("Map.of(k1..k3)", Map.of("a", 1, "b", 2, "c", 3)),
        named("Map.ofEntries", Map.ofEntries(Map.entry(1, "one"), Map.entry(2, "two"))),
        named("Map.copyOf", Map.copyOf(Map.of(Color.RED, List.of(1)))),
        named(
            "Collections.unmodifiableList",
            Collections.unmodifiableList(new ArrayList<>(List.of(1, 2, 3)))),
        named(
            "Collections.unmodifiableList(LinkedList)",
            Collections.unmodifiableList(new LinkedList<>(List.of("q", "r")))),
        named(
            "Collections.unmodifiableSet",
            Collections.unmodifiableSet(new java.util.HashSet<>(Set.of(1, 2)))),
        named("Collections.unmodifiableMap", Collections.unmodifiableMap(linked)),
        named(
            "Collections.unmodifiableCollection",
            Collections.unmodifiableCollection(new ArrayList<>(List.of(9, 8)))),
        named(
            "Collections.unmodifiableSortedSet",
            Collections.unmodifiableSortedSet(new TreeSet<>(List.of("b", "a", "c")))),
        named(
            "Collections.unmodifiableNavigableMap",
            Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of(3, "c", 1, "a")))),
        named("Collections.emptyList", Collections.emptyList()),
        named("Collections.emptySet", Collections.emptySet()),
        named("Collections.emptyMap", Collections.emptyMap()),
        named("Collections.singletonList", Collections.singletonList("only")),
        named("Collections.singleton", Collections.singleton(7)),
        named("Collections.singletonMap", Collections.singletonMap("k", List.of("v"))),
        named("Arrays.asList", Arrays.asList("a", null, "c")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("immutableJdkCollections")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void roundTrips_whenImmutableJdkCollection(Object value) {
    Object copy = roundTrip(serializer, value);

    if (value instanceof List<?> || value instanceof Set<?> || value instanceof Map<?, ?>) {
      assertThat(copy).isEqualTo(value);
    }
    if (value instanceof Collection<?> collection) { // unmodifiableCollection has no equals
      assertThat((Collection<Object>) copy).containsExactlyElementsOf(collection);
    }
    if (value instanceof Collection) {
      assertThatThrownBy(() -> ((Collection) copy).add("another"))
          .isInstanceOf(UnsupportedOperationException.class);
    } else {
      assertThatThrownBy(() -> ((Map) copy).put("another", "value"))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void roundTrips_whenStreamToListHoldsNulls() {
    List<String> value = Stream.of("a", null, "c").toList();

    List<String> copy = roundTrip(serializer, value);

    assertThat(copy).containsExactly("a", null, "c");
    assertThat(copy.contains(null)).isTrue();
    assertThatThrownBy(() -> copy.set(0, "z")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void keepsWrapperKindAndComparator_whenCollectionsWrapper() {
    TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of("a", "c", "b"));
    List<Object> wrappers =
        List.of(
            Collections.unmodifiableNavigableSet(reversed),
            Collections.unmodifiableList(new LinkedList<>(List.of(1, 2))),
            Collections.unmodifiableList(new ArrayList<>(List.of(1, 2))),
            Collections.synchronizedList(new ArrayList<>(List.of(1, 2))),
            Collections.synchronizedSet(new java.util.HashSet<>(Set.of(1, 2))),
            Collections.synchronizedMap(new HashMap<>(Map.of("k", "v"))),
            Collections.synchronizedSortedMap(new TreeMap<>(Map.of(2, "b", 1, "a"))));

    for (Object wrapper : wrappers) {
      Object copy = roundTrip(serializer, wrapper);

      assertThat(copy).isEqualTo(wrapper);
      assertThat(copy.getClass()).isEqualTo(wrapper.getClass());
    }
    @SuppressWarnings("unchecked")
    Set<String> reversedCopy = (Set<String>) roundTrip(serializer, wrappers.get(0));
    assertThat(reversedCopy).containsExactly("c", "b", "a");
  }

  @Test
  void addsToCopy_whenSynchronizedWrapper() {
    List<Integer> value = Collections.synchronizedList(new ArrayList<>(List.of(1)));

    List<Integer> copy = roundTrip(serializer, value);
    copy.add(2);

    assertThat(copy).containsExactly(1, 2);
  }

  @Test
  void roundTrips_whenMapEntries() {
    Map.Entry<String, Integer> immutable = Map.entry("k", 1);
    Map.Entry<String, Integer> simple = new AbstractMap.SimpleEntry<>("s", 2);
    Map.Entry<String, Integer> simpleImmutable = new AbstractMap.SimpleImmutableEntry<>("i", 3);

    assertThat(roundTrip(serializer, immutable)).isEqualTo(immutable);
    assertThat(roundTrip(serializer, simple)).isEqualTo(simple);
    assertThat(roundTrip(serializer, simpleImmutable)).isEqualTo(simpleImmutable);
  }

  @Test
  void roundTrips_whenRecordWithoutNoArgCtor() {
    Point value = new Point(3, -4);

    assertThat(roundTrip(serializer, value)).isEqualTo(value);
  }

  @Test
  void roundTrips_whenNestedRecordsAndGenerics() {
    Route route =
        new Route(
            "loop",
            List.of(new Point(0, 0), new Point(1, 1)),
            new TreeMap<>(Map.of("tower", Optional.of(new Point(5, 5)), "void", Optional.empty())));
    Box<Map<String, List<Set<Integer>>>> box =
        new Box<>(
            Map.of("x", List.of(Set.of(1, 2), Set.of())),
            new ArrayList<>(List.of(new HashMap<>(Map.of("y", new ArrayList<>())))));

    assertThat(roundTrip(serializer, route)).isEqualTo(route);
    assertThat(roundTrip(serializer, box)).isEqualTo(box);
  }

  @Test
  void roundTrips_whenEnums() {
    assertThat(roundTrip(serializer, Color.GREEN)).isSameAs(Color.GREEN);
    assertThat(roundTrip(serializer, Op.MUL)).isSameAs(Op.MUL);
    assertThat(roundTrip(serializer, List.of(Op.ADD, Color.BLUE)))
        .containsExactly(Op.ADD, Color.BLUE);
  }

  @Test
  void roundTrips_whenEnumSet() {
    assertThat(roundTrip(serializer, EnumSet.of(Color.RED, Color.BLUE)))
        .isEqualTo(EnumSet.of(Color.RED, Color.BLUE));
    assertThat(roundTrip(serializer, EnumSet.noneOf(Color.class)))
        .isEqualTo(EnumSet.noneOf(Color.class));
    assertThat(roundTrip(serializer, EnumSet.allOf(Op.class))).isEqualTo(EnumSet.allOf(Op.class));
  }

  @Test
  void roundTrips_whenEnumMap() {
    EnumMap<Color, List<String>> map = new EnumMap<>(Color.class);
    map.put(Color.BLUE, List.of("sky"));
    map.put(Color.RED, null);
    EnumMap<Op, Integer> empty = new EnumMap<>(Op.class);

    EnumMap<Color, List<String>> copy = roundTrip(serializer, map);
    EnumMap<Op, Integer> emptyCopy = roundTrip(serializer, empty);

    assertThat(copy).isEqualTo(map).containsKey(Color.RED);
    assertThat(emptyCopy).isEmpty();
    emptyCopy.put(Op.ADD, 1); // the key type survived
    assertThatThrownBy(() -> ((Map) emptyCopy).put(Color.RED, 1))
        .isInstanceOf(ClassCastException.class);
  }

  @Test
  void roundTrips_whenEmptyEnumMapAndNoReflection() {
    FlareSerializer noReflection =
        new FlareSerializer(
            getClass().getClassLoader(),
            kryo -> kryo.register(EnumMap.class, new JdkEnumMapSerializer(false)));

    EnumMap<Op, Integer> emptyCopy = roundTrip(noReflection, new EnumMap<>(Op.class));

    assertThat(emptyCopy).isEmpty();
    emptyCopy.put(Op.MUL, 2);
    assertThat(emptyCopy).containsEntry(Op.MUL, 2);
  }

  @Test
  void roundTrips_whenClassWithFinalFieldsAndNoNoArgCtor() {
    Money value = new Money(new BigDecimal("19.99"), "EUR");
    int constructedBefore = Money.constructed;

    Money copy = roundTrip(serializer, value);

    assertThat(copy).isEqualTo(value);
    assertThat(Money.constructed).as("constructor not run on read").isEqualTo(constructedBefore);
  }

  @Test
  void roundTrips_whenClassIsNotSerializable() {
    Account account = new Account();
    account.owner = "ada";
    account.balance = -5;
    account.history.add(new Money(BigDecimal.ONE, "USD"));
    account.limits.put(Color.RED, new int[] {1, 2, 3});

    Account copy = roundTrip(serializer, account);

    assertThat(copy).isNotSameAs(account);
    assertThat(copy.owner).isEqualTo("ada");
    assertThat(copy.balance).isEqualTo(-5);
    assertThat(copy.history).containsExactlyElementsOf(account.history);
    assertThat(copy.limits.get(Color.RED)).containsExactly(1, 2, 3);
  }

  @Test
  void roundTrips_whenNestedGenericCollections() {
    Map<String, List<Map<Integer, Set<String>>>> value = new ConcurrentHashMap<>();
    value.put("a", new ArrayList<>(List.of(new TreeMap<>(Map.of(1, new TreeSet<>(Set.of("x")))))));
    value.put("b", new LinkedList<>());

    assertThat(roundTrip(serializer, value)).isEqualTo(value);
  }

  @Test
  void roundTrips_whenNull() {
    assertThat(serializer.serialize(null)).hasSize(1);
    assertThat(roundTrip(serializer, (Object) null)).isNull();
    assertThat(roundTrip(serializer, Arrays.asList(null, null))).containsExactly(null, null);
  }

  @Test
  void keepsSharedReferences_whenSameObjectReachedTwice() {
    Point shared = new Point(1, 2);
    List<Object> value = new ArrayList<>(List.of(shared, shared, new Box<>(shared, List.of())));

    List<Object> copy = roundTrip(serializer, value);

    assertThat(copy.get(0)).isSameAs(copy.get(1));
    assertThat(((Box<?>) copy.get(2)).content()).isSameAs(copy.get(0));
  }

  @Test
  void roundTrips_whenCyclicGraph() {
    Node a = new Node("a");
    Node b = new Node("b");
    a.next = b;
    b.next = a;
    a.children.add(a);
    a.children.add(b);

    Node copy = roundTrip(serializer, a);

    assertThat(copy.name).isEqualTo("a");
    assertThat(copy.next.name).isEqualTo("b");
    assertThat(copy.next.next).isSameAs(copy);
    assertThat(copy.children).hasSize(2);
    assertThat(copy.children.get(0)).isSameAs(copy);
    assertThat(copy.children.get(1)).isSameAs(copy.next);
  }

  @Test
  void roundTrips_whenCollectionContainsItself() {
    List<Object> list = new ArrayList<>();
    list.add("head");
    list.add(list);
    Map<String, Object> map = new HashMap<>();
    map.put("self", map);

    List<Object> listCopy = roundTrip(serializer, list);
    Map<String, Object> mapCopy = roundTrip(serializer, map);

    assertThat(listCopy.get(1)).isSameAs(listCopy);
    assertThat(mapCopy.get("self")).isSameAs(mapCopy);
  }

  @Test
  void roundTrips_whenCycleRunsThroughUnmodifiableWrapper() {
    Node parent = new Node("parent");
    Node child = new Node("child");
    parent.children = Collections.unmodifiableList(new ArrayList<>(List.of(child)));
    child.children = parent.children;

    Node copy = roundTrip(serializer, parent);

    assertThat(copy.children.get(0).name).isEqualTo("child");
    assertThat(copy.children.get(0).children).isSameAs(copy.children);
  }

  @Test
  void failsClearly_whenCycleRunsBackIntoImmutableList() {
    Node parent = new Node("parent");
    Node child = new Node("child");
    parent.children = List.of(child);
    child.children = parent.children; // the list is reached again while it is being read

    byte[] bytes = serializer.serialize(parent);

    assertThatThrownBy(() -> serializer.deserialize(bytes))
        .isInstanceOf(FlareSerializationException.class)
        .hasMessageContaining("cycle")
        .hasMessageContaining("field children of " + Node.class.getName());
  }

  @Test
  void roundTrips_whenSerializableLambdaOrMethodReference() {
    SerializableFunction<Integer, Integer> lambda = x -> x + 1;
    SerializableFunction<Integer, Integer> methodRef = FlareSerializerRoundTripTest::triple;
    int offset = 100;
    SerializableFunction<Integer, Integer> capturing = x -> x + offset;

    assertThat(roundTrip(serializer, lambda).apply(1)).isEqualTo(2);
    assertThat(roundTrip(serializer, methodRef).apply(5)).isEqualTo(15);
    assertThat(roundTrip(serializer, capturing).apply(1)).isEqualTo(101);
  }
}
