package dev.podpath.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IntervalSetProperties {

  @Provide
  Arbitrary<PortSet> portSets() {
    var range =
        Arbitraries.integers()
            .between(0, 65535)
            .list()
            .ofSize(2)
            .map(l -> PortSet.range(Math.min(l.get(0), l.get(1)), Math.max(l.get(0), l.get(1))));
    return range.list().ofMaxSize(5).map(l -> l.stream().reduce(PortSet.NONE, PortSet::union));
  }

  @Property
  void membershipOfSetOperationsIsTheBooleanAlgebraOfMembership(
      @ForAll("portSets") PortSet a,
      @ForAll("portSets") PortSet b,
      @ForAll("probes") List<Integer> probes) {
    for (int p : probes) {
      assertThat(a.union(b).contains(p)).isEqualTo(a.contains(p) || b.contains(p));
      assertThat(a.intersection(b).contains(p)).isEqualTo(a.contains(p) && b.contains(p));
      assertThat(a.difference(b).contains(p)).isEqualTo(a.contains(p) && !b.contains(p));
    }
  }

  @Provide
  Arbitrary<List<Integer>> probes() {
    return Arbitraries.integers().between(0, 65535).list().ofSize(50);
  }

  @Property
  void normalFormIsUniqueSoEqualityIsSetEquality(
      @ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
    assertThat(a.union(b)).isEqualTo(b.union(a));
    assertThat(a.difference(b).union(a.intersection(b))).isEqualTo(a);
    assertThat(a.union(b).containsAll(a)).isTrue();
  }

  @Provide
  Arbitrary<IpPrefix> v4Prefixes() {
    return Arbitraries.integers()
        .map(Ipv4Address::new)
        .flatMap(a -> Arbitraries.integers().between(0, 32).map(l -> IpPrefix.of(a, l)));
  }

  @Property
  void addressSetsCoverExactlyTheirPrefixes(
      @ForAll("v4Prefixes") IpPrefix a, @ForAll("v4Prefixes") IpPrefix b) {
    var set = AddressSet.of(a).difference(AddressSet.of(b));
    var prefixes = set.toPrefixes();
    assertThat(AddressSet.ofAll(prefixes)).isEqualTo(set);
    for (var p : List.of(a.network(), a.last(), b.network(), b.last())) {
      assertThat(set.contains(p)).isEqualTo(a.contains(p) && !b.contains(p));
    }
  }

  @Example
  void ipBlockWithExceptPrintsAsTheSmallestCover() {
    var block =
        AddressSet.of(IpPrefix.parse("10.0.0.0/8"))
            .difference(AddressSet.of(IpPrefix.parse("10.1.0.0/16")));
    var texts = new ArrayList<String>();
    block.toPrefixes().forEach(p -> texts.add(p.toString()));
    assertThat(texts)
        .containsExactly(
            "10.0.0.0/16",
            "10.2.0.0/15",
            "10.4.0.0/14",
            "10.8.0.0/13",
            "10.16.0.0/12",
            "10.32.0.0/11",
            "10.64.0.0/10",
            "10.128.0.0/9");
  }

  @Example
  void portSetsParseAndPrintLikePolicyRanges() {
    assertThat(PortSet.parse("80,8080-8090,81")).hasToString("80-81,8080-8090");
    assertThat(PortSet.ALL.difference(PortSet.of(0))).hasToString("1-65535");
  }
}
