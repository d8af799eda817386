package io.chatops.hub.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Password hashing with Argon2id (password4j), at OWASP's recommended minimum of 19 MiB of memory,
 * 2 iterations and one lane: slow enough to make a stolen database expensive to crack, fast enough
 * (about 50 ms here) for a login.
 */
public final class Passwords {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    private Passwords() {
    }

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    public static boolean matches(String password, String hash) {
        return Password.check(password, hash).with(ARGON2ID);
    }
}
