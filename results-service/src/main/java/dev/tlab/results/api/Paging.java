package dev.tlab.results.api;

import dev.tlab.contracts.api.ApiException;

/** The paging parameters every list takes: {@code page} from 0, {@code size} 1..{@value #MAX_PAGE_SIZE}. */
final class Paging {
    static final int MAX_PAGE_SIZE = 200;

    private Paging() {}

    static void check(int page, int size) {
        if (page < 0) {
            throw ApiException.badRequest("page", "must be 0 or more, was " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("size", "must be in 1.." + MAX_PAGE_SIZE + ", was " + size);
        }
    }
}
