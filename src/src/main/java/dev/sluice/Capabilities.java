package dev.sluice;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a backend does natively, what it emulates, and which optional kernel features it found,
 * so upper layers choose openly (for example: splice natively, or copy).
 */
public final class Capabilities {
    private final EnumMap<Op, Support> ops;
    private final EnumSet<Feature> features;

    /**
     * @param ops      support per operation; operations missing from the map are {@link Support#UNSUPPORTED}
     * @param features the optional features in use
     */
    public Capabilities(Map<Op, Support> ops, Set<Feature> features) {
        this.ops = new EnumMap<>(Op.class);
        for (Op op : Op.values()) this.ops.put(op, Objects.requireNonNullElse(ops.get(op), Support.UNSUPPORTED));
        this.features = features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features);
    }

    /** How this backend provides {@code op}. */
    public Support support(Op op) {
        return ops.get(op);
    }

    /** True when the backend uses {@code feature}. */
    public boolean feature(Feature feature) {
        return features.contains(feature);
    }

    /** The features in use, as a copy. */
    public Set<Feature> features() {
        return features.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ops{");
        ops.forEach((op, s) -> sb.append(op).append('=').append(s).append(' '));
        return sb.append("} features").append(features).toString();
    }
}
