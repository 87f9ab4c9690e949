package dev.vigil.slo.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests the closest known word for a misspelt one ({@code p999} → {@code p99.9}, {@code acceptible} →
 * {@code acceptable}). Distance is optimal-string-alignment (Levenshtein plus adjacent transpositions),
 * ignoring case; a suggestion is only made when it is close enough to be a plausible typo.
 */
public final class DidYouMean {
    private DidYouMean() {}

    /** The closest candidate within a typo's distance of {@code word}, if any; ties go to the earlier candidate. */
    public static Optional<String> suggest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        String best = null;
        long bestScore = Long.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance(w, c);
            if (d > allowed(Math.max(w.length(), c.length()))) continue;
            // Ties go to the candidate that differs only in punctuation people leave out: p999 → p99.9, not p99.
            long score = (long) distance(strip(w), strip(c)) << 32 | d;
            if (score < bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String strip(String s) {
        return s.replace(".", "").replace("-", "").replace("_", "").replace(" ", "");
    }

    /** Short words tolerate one edit, longer ones a third of their length, capped at three. */
    private static int allowed(int length) {
        if (length <= 4) return 1;
        return Math.min(3, Math.max(2, length / 3));
    }

    /** Optimal string alignment distance between a and b. */
    static int distance(String a, String b) {
        int n = a.length(), m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) d[i][0] = i;
        for (int j = 0; j <= m; j++) d[0][j] = j;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
