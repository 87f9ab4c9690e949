package dev.vigil.gateway.policy.state;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Where the policies keep shared state: the gateway file's {@code state:} value. */
public sealed interface StateConfig {

    /**
     * Everything in process; idempotency records persisted under {@code dataDir}.
     *
     * @param dataDir directory for {@code idempotency.mv.db} (created if missing)
     * @param fsync   force the file to the device once per commit batch: records then survive an OS crash or
     *                power loss, not only a process crash (the gateway file's {@code state-fsync})
     */
    record Embedded(Path dataDir, boolean fsync) implements StateConfig {
        public Embedded {
            Objects.requireNonNull(dataDir, "dataDir");
        }

        /** Without fsync: survives a crash of the gateway process, not of the OS. */
        public Embedded(Path dataDir) {
            this(dataDir, false);
        }
    }

    /**
     * Everything in process and nothing persisted: idempotency records are lost on restart. For demos and tests,
     * where a file's per-change commits would only cost latency (on a busy disk, a lot of it).
     */
    record Memory() implements StateConfig {}

    /**
     * Shared by every gateway instance using the same Redis.
     *
     * @param uri            {@code redis://host:port} (or {@code rediss://} for TLS)
     * @param commandTimeout longest wait for one Redis command before the fail mode applies
     */
    record Redis(String uri, Duration commandTimeout) implements StateConfig {
        public Redis {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            URI parsed = URI.create(uri);
            if (!("redis".equals(parsed.getScheme()) || "rediss".equals(parsed.getScheme())) || parsed.getHost() == null) {
                throw new IllegalArgumentException("state must be 'embedded' or redis://host:port, got '" + uri + "'");
            }
            if (commandTimeout.toMillis() < 1) throw new IllegalArgumentException("commandTimeout must be at least 1ms");
        }
    }
}
