package dev.vigil.gateway.upstream;

import dev.vigil.gateway.config.Endpoint;
import dev.vigil.gateway.config.PassiveHealth;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamKeepAliveTest {
    private static UpstreamConnection connection() {
        return new UpstreamConnection(new UpstreamEndpoint(new Endpoint("127.0.0.1", 1), PassiveHealth.DEFAULTS, System::nanoTime,
                1, Duration.ofSeconds(30).toNanos()), 64 * 1024);
    }

    @Test void stopsReusingAConnectionASecondBeforeTheUpstreamSaidItWouldCloseIt() {
        UpstreamConnection c = connection();
        c.upstreamKeepAlive("timeout=5, max=1000");
        assertThat(c.upstreamIdleLimitNanos).isEqualTo(Duration.ofSeconds(4).toNanos());
        UpstreamConnection shortOne = connection();
        shortOne.upstreamKeepAlive("timeout=1");
        assertThat(shortOne.upstreamIdleLimitNanos).isEqualTo(Duration.ofMillis(500).toNanos());
    }

    @Test void ignoresAbsentOrUnusableKeepAliveHeaders() {
        UpstreamConnection c = connection();
        c.upstreamKeepAlive(null);
        c.upstreamKeepAlive("max=5");
        c.upstreamKeepAlive("timeout=soon");
        c.upstreamKeepAlive("timeout=0");
        assertThat(c.upstreamIdleLimitNanos).isEqualTo(Long.MAX_VALUE);
    }
}
