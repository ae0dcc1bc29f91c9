package io.ferry.coordination;

/** A value read from a znode together with the znode's version, for compare-and-set writes. */
public record Versioned<T>(T value, int version) {}
