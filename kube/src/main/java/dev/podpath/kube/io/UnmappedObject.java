package dev.podpath.kube.io;

/**
 * A document whose kind the API server does not serve (no resource maps to its apiVersion and
 * kind), kept only when a reader was asked to keep such documents ({@code kubectl apply} reports
 * them and applies the rest); every other reader refuses them.
 */
public record UnmappedObject(
    String apiVersion, String kind, String name, String namespace, Source source) {}
