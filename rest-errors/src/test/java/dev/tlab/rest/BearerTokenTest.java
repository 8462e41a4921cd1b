package dev.tlab.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlab.contracts.api.ApiException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void onlyTheConfiguredTokenPasses() {
        BearerToken token = BearerToken.closedWhenUnset(Optional.of(" s3cret \n"), "tlab.x.token");
        token.check("Bearer s3cret");
        token.check("bearer s3cret");
        ApiException missing = assertThrows(ApiException.class, () -> token.check(null));
        assertEquals(401, missing.status());
        assertEquals("a bearer token is required (Authorization: Bearer <tlab.x.token>)", missing.getMessage());
        assertEquals(
                401,
                assertThrows(ApiException.class, () -> token.check("Bearer s3cre"))
                        .status());
        assertEquals(
                401,
                assertThrows(ApiException.class, () -> token.check("Basic s3cret"))
                        .status());
    }

    @Test
    void anUnsetTokenIsOpenOrClosedAsTheEndpointDecided() {
        BearerToken.openWhenUnset(Optional.empty(), "tlab.x.token").check(null);
        ApiException closed = assertThrows(
                ApiException.class,
                () -> BearerToken.closedWhenUnset(Optional.of("  "), "tlab.x.token")
                        .check("Bearer anything"));
        assertEquals(503, closed.status());
        assertEquals("this endpoint is closed: tlab.x.token is not set on this service", closed.getMessage());
    }
}
