package io.lagsnap.sink.objectstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The columns a shipped CREATE EXTERNAL TABLE declares, read from the file: data columns from the parentheses after
 * the table name, partition columns from those after {@code PARTITIONED BY} (Athena) or
 * {@code WITH PARTITION COLUMNS} (BigQuery). Names keep their backticks, so a test can check the quoting.
 */
record TableDdl(String text, Map<String, String> columns, Map<String, String> partitions) {

    static TableDdl read(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("(?m)--.*$", "");
        Matcher table = Pattern.compile("CREATE EXTERNAL TABLE[^(]*\\(").matcher(text);
        if (!table.find()) {
            throw new IllegalArgumentException(file + ": no CREATE EXTERNAL TABLE");
        }
        Matcher partitioned = Pattern.compile("(PARTITIONED BY|WITH PARTITION COLUMNS)\\s*\\(").matcher(text);
        if (!partitioned.find(table.end())) {
            throw new IllegalArgumentException(file + ": no partition columns");
        }
        return new TableDdl(text, columns(text, table.end()), columns(text, partitioned.end()));
    }

    /** "name type" pairs up to the closing parenthesis: the column types here have no parentheses of their own. */
    private static Map<String, String> columns(String text, int from) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String column : text.substring(from, text.indexOf(')', from)).split(",")) {
            String[] nameAndType = column.trim().split("\\s+");
            if (nameAndType.length != 2) {
                throw new IllegalArgumentException("not a \"name type\" column: \"" + column.trim() + "\"");
            }
            out.put(nameAndType[0], nameAndType[1]);
        }
        return out;
    }

    /** The first quoted string after a key: {@code LOCATION '...'}, {@code 'property' = '...'}, {@code uris = ['...']}. */
    String option(String key) {
        Matcher m = Pattern.compile("'?" + Pattern.quote(key) + "'?\\s*=?\\s*\\[?'([^']*)'").matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no option " + key);
        }
        return m.group(1);
    }

    static String unquoted(String name) {
        return name.replace("`", "");
    }
}
