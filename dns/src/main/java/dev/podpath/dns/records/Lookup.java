package dev.podpath.dns.records;

import java.util.List;

/**
 * What a look-up in the cluster's records found: candidates, or a name error (the name does not
 * exist: NXDOMAIN). No candidates and no name error means NODATA.
 */
public record Lookup(List<Candidate> items, boolean nameError) {

  public static final Lookup NAME_ERROR = new Lookup(List.of(), true);
  public static final Lookup NO_DATA = new Lookup(List.of(), false);

  public Lookup {
    items = List.copyOf(items);
  }

  public static Lookup found(List<Candidate> items) {
    return new Lookup(items, false);
  }
}
