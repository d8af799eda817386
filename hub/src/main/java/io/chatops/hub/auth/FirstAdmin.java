package io.chatops.hub.auth;

import io.chatops.hub.actor.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * On an empty database, creates the user {@code admin}: with {@code CHATOPS_ADMIN_PASSWORD} when it
 * is set, else with a random password that is written once to {@code <data-dir>/initial-admin-password}
 * (mode 0600) for the operator to read. There is no self-registration; every other user is made
 * by an admin.
 */
public final class FirstAdmin {
    public static final String USERNAME = "admin";
    public static final String PASSWORD_FILE = "initial-admin-password";
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    /** 24 characters of a 57-letter alphabet: about 140 bits. */
    private static final int GENERATED_LENGTH = 24;

    private FirstAdmin() {
    }

    /** The password file when a random password was generated now; null when users already existed or one was given. */
    public static Path ensure(UserStore users, Path dataDir, String givenPassword) throws IOException {
        if (!users.all().isEmpty()) {
            return null;
        }
        boolean generated = givenPassword == null || givenPassword.isEmpty();
        String password = generated ? randomPassword() : givenPassword;
        users.create(USERNAME, password, Role.ADMIN);
        if (!generated) {
            return null;
        }
        Path file = dataDir.resolve(PASSWORD_FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            password.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return password.toString();
    }
}
