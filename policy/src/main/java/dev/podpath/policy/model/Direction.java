package dev.podpath.policy.model;

/** The two directions a NetworkPolicy can isolate, named as in {@code policyTypes}. */
public enum Direction {
  INGRESS("Ingress"),
  EGRESS("Egress");

  private final String apiName;

  Direction(String apiName) {
    this.apiName = apiName;
  }

  /** The name used in {@code policyTypes} ({@code Ingress}, {@code Egress}). */
  public String apiName() {
    return apiName;
  }
}
