package io.chatops.hub.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Nullable columns read as nulls, not as the zero JDBC gives for SQL NULL. Times are epoch milliseconds. */
public final class Rows {
    private Rows() {
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** A time as the API shows it (RFC 3339), or null. */
    public static String time(ResultSet rs, int column) throws SQLException {
        Instant at = instant(rs, column);
        return at == null ? null : at.toString();
    }

    public static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    public static Double doubleOrNull(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
