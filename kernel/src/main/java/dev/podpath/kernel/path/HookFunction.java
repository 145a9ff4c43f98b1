package dev.podpath.kernel.path;

/** A function registered at a hook ({@code struct nf_hook_ops}'s {@code hook}). */
@FunctionalInterface
public interface HookFunction {
  Verdict process(PacketContext packet);
}
