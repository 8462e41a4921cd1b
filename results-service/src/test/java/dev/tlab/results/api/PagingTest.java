package dev.tlab.results.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad paging parameter is a 400 that names it and says why; good ones and left-out ones give the page. */
class PagingTest {

    @Test
    void leftOutParametersAreTheFirstPageOfTwenty() {
        assertEquals(new Paging(0, 20), Paging.of(null, null));
        assertEquals(new Paging(3, 200), Paging.of("3", "200"));
        assertEquals(new Paging(0, 1), Paging.of("+0", "1"));
        assertEquals(new Paging(Integer.MAX_VALUE, 5), Paging.of(String.valueOf(Integer.MAX_VALUE), "5"));
    }

    @ParameterizedTest(name = "page={0} size={1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "-1|null|page|must be 0 or more, was -1",
                "abc|null|page|must be a whole number, was 'abc'",
                "1.5|null|page|must be a whole number, was '1.5'",
                "''|null|page|must be a whole number, was ''",
                "' 1'|null|page|must be a whole number, was ' 1'",
                "2147483648|null|page|must be at most 2147483647, was 2147483648",
                "99999999999999999999999|null|page|must be at most 2147483647, was 99999999999999999999999",
                "null|0|size|must be in 1..200, was 0",
                "null|-5|size|must be in 1..200, was -5",
                "null|201|size|must be in 1..200, was 201",
                "null|1e3|size|must be a whole number, was '1e3'",
                "null|9999999999999|size|must be in 1..200, was 9999999999999",
                "0|ten|size|must be a whole number, was 'ten'",
            })
    void aBadParameterIsA400NamingItAndTheReason(String page, String size, String field, String reason) {
        ApiException e = assertThrows(ApiException.class, () -> Paging.of(page, size));
        assertEquals(400, e.status());
        assertEquals(field, e.body().field());
        assertEquals(reason, e.body().reason());
    }

    @Test
    void aLongBadValueIsShortenedInTheReason() {
        ApiException e = assertThrows(ApiException.class, () -> Paging.of("x".repeat(5000), null));
        assertTrue(e.body().reason().length() < 100, e.body().reason());
    }
}
