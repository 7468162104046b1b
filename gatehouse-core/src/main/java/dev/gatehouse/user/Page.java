package dev.gatehouse.user;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the items on this page, possibly empty
 * @param total how many items match the query in all pages
 * @param query the query that produced this page
 */
public record Page<T>(List<T> items, long total, UserQuery query) {

    public Page {
        items = List.copyOf(items);
        java.util.Objects.requireNonNull(query, "query");
    }

    /** Whether a later page has items. */
    public boolean hasNext() {
        // long arithmetic: an offset near Integer.MAX_VALUE must not wrap around to "more pages".
        return (long) query.offset() + items.size() < total;
    }
}
