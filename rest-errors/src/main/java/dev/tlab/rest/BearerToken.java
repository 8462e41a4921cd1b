package dev.tlab.rest;

import dev.tlab.contracts.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A configured bearer token and the check of an {@code Authorization} header against it, compared in constant time
 * ({@link MessageDigest#isEqual}), so that the answer's timing does not tell how much of a guess was right. What an
 * unset token means is the endpoint's decision, made where it is built: {@link #openWhenUnset} (a developer's
 * loopback-only run) or {@link #closedWhenUnset} (an endpoint that must never be open on a network).
 */
public final class BearerToken {
    private final String token;
    private final String configKey;
    private final boolean openWhenUnset;

    private BearerToken(Optional<String> configured, String configKey, boolean openWhenUnset) {
        this.token = configured.map(String::strip).orElse("");
        this.configKey = configKey;
        this.openWhenUnset = openWhenUnset;
    }

    /** Without a token every request passes. */
    public static BearerToken openWhenUnset(Optional<String> configured, String configKey) {
        return new BearerToken(configured, configKey, true);
    }

    /** Without a token every request is refused (503), saying which key to set. */
    public static BearerToken closedWhenUnset(Optional<String> configured, String configKey) {
        return new BearerToken(configured, configKey, false);
    }

    /**
     * Throws an {@link ApiException} naming {@code Authorization} unless the header carries the token: 401 without or
     * with a wrong one (answered with {@code WWW-Authenticate: Bearer}), 503 when the endpoint is closed for want of
     * one.
     */
    public void check(String authorization) {
        if (token.isEmpty()) {
            if (openWhenUnset) {
                return;
            }
            throw new ApiException(
                    503, "Authorization", "this endpoint is closed: " + configKey + " is not set on this service");
        }
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : "";
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(
                    401,
                    "Authorization",
                    given.isEmpty()
                            ? "a bearer token is required (Authorization: Bearer <" + configKey + ">)"
                            : "wrong bearer token");
        }
    }
}
