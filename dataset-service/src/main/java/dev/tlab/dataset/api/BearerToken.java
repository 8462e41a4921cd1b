package dev.tlab.dataset.api;

import dev.tlab.contracts.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A configured bearer token and the check of an {@code Authorization} header against it (constant time). An empty token
 * means the endpoint is open, for a developer's loopback-only run; deployments set one (deploy/README.md).
 */
final class BearerToken {
    private final String token;
    private final String configKey;

    /** @param configKey the property that holds the token, named in the 401 answer so that a caller knows which one */
    BearerToken(Optional<String> configured, String configKey) {
        this.token = configured.map(String::strip).orElse("");
        this.configKey = configKey;
    }

    /** Throws a 401 {@link ApiException} (field {@code Authorization}) unless the header carries the token. */
    void check(String authorization) {
        if (token.isEmpty()) {
            return;
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
