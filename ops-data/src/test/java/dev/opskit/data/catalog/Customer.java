package dev.opskit.data.catalog;

/** A test row. */
public record Customer(String id, int tenure, double spend, String plan) {}
