package dev.tlab.results.api;

import dev.tlab.contracts.api.ApiException;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The paging parameters every list takes: {@code page} a whole number from 0 (a page past the last one is empty; the
 * page's {@code total} says how many items there are), {@code size} a whole number in 1..{@value #MAX_PAGE_SIZE}. They
 * arrive as text and are checked here, so that every bad value is a 400 naming the parameter: a JAX-RS {@code int}
 * parameter that does not parse is answered 404, as if the list did not exist.
 */
record Paging(int page, int size) {
    static final int MAX_PAGE_SIZE = 200;
    static final int DEFAULT_PAGE_SIZE = 20;
    /** The 400 answer of a paged list, as the OpenAPI document describes it. */
    static final String REFUSED = "page or size not a whole number, page < 0, or size outside 1.." + MAX_PAGE_SIZE
            + "; the body names the parameter and the reason";

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");
    private static final BigInteger MAX_PAGE = BigInteger.valueOf(Integer.MAX_VALUE);

    /** Each argument is the query parameter's text, null when it was left out. */
    static Paging of(String page, String size) {
        BigInteger pageNumber = number("page", page, 0);
        if (pageNumber.signum() < 0) {
            throw ApiException.badRequest("page", "must be 0 or more, was " + shortened(pageNumber));
        }
        if (pageNumber.compareTo(MAX_PAGE) > 0) {
            throw ApiException.badRequest("page", "must be at most " + MAX_PAGE + ", was " + shortened(pageNumber));
        }
        BigInteger pageSize = number("size", size, DEFAULT_PAGE_SIZE);
        if (pageSize.signum() <= 0 || pageSize.compareTo(BigInteger.valueOf(MAX_PAGE_SIZE)) > 0) {
            throw ApiException.badRequest("size", "must be in 1.." + MAX_PAGE_SIZE + ", was " + shortened(pageSize));
        }
        return new Paging(pageNumber.intValueExact(), pageSize.intValueExact());
    }

    private static BigInteger number(String parameter, String text, int absent) {
        if (text == null) {
            return BigInteger.valueOf(absent);
        }
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            throw ApiException.badRequest(parameter, "must be a whole number, was '" + shortened(text) + "'");
        }
        return new BigInteger(text);
    }

    private static String shortened(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
