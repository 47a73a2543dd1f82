package org.layerlens.app.cli;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.layerlens.engine.image.ImageFolder;

/** Minimal option parsing: {@code --name value}, repeatable options, boolean flags. */
public final class Args {
    public final String command;
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final Set<String> flags;

    /**
     * Options that are not flags and have no value after them: the last argument, or one followed
     * by another option (no value starts with "--"; a value that must is written --name=value).
     */
    private final List<String> withoutValue = new ArrayList<>();
    /** The first argument that is neither an option, its value nor the command; null when none. */
    private String unexpected;

    public Args(String[] argv, Set<String> flags) throws UsageException {
        this.flags = flags;
        String cmd = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (flags.contains(name)) {
                    value = "true";
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    value = argv[++i];
                } else {
                    // said by allowOnly, which first tells an unknown option (a typo) as such: an
                    // unknown option took the next option as its value and left that option's
                    // value as an 'unexpected argument' (detect --bogus --image x.png)
                    withoutValue.add(name);
                    continue;
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (cmd == null) {
                cmd = a;
            } else if (unexpected == null) {
                unexpected = a; // said by allowOnly, after any unknown option
            }
        }
        this.command = cmd;
    }

    /**
     * An image file to write, checked before any work is done: its name must end in an extension
     * OpenCV writes (OpenCV chooses the format by it, and without one it fails at the end of the run).
     */
    public String getImageOut(String name) throws UsageException {
        String v = get(name);
        if (v == null) {
            return null;
        }
        if (!ImageFolder.IMAGE_EXTENSIONS.contains(ImageFolder.extension(Paths.get(v)))) {
            throw new UsageException("--" + name + " needs an image file name ending in .png (or .jpg, .bmp, .tif, "
                    + ".webp), not '" + v + "'");
        }
        return v;
    }

    public String get(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    public String get(String name, String def) {
        String v = get(name);
        return v == null ? def : v;
    }

    public String require(String name) throws UsageException {
        String v = get(name);
        if (v == null) {
            throw new UsageException((command == null ? "" : command + ": ") + "--" + name + " is required");
        }
        return v;
    }

    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    /**
     * Refuses, with one line, what the command does not take: unknown options first (a typo), then
     * options without a value, options given twice that are not {@code repeatable}, empty values
     * and a stray argument.
     */
    public void allowOnly(Set<String> allowed, Set<String> repeatable) throws UsageException {
        List<String> given = new ArrayList<>(options.keySet());
        given.addAll(withoutValue);
        for (String k : given) {
            if (!allowed.contains(k) && !flags.contains(k)) {
                throw new UsageException("unknown option --" + k + (command == null ? "" : " for " + command));
            }
        }
        if (!withoutValue.isEmpty()) {
            throw new UsageException("option --" + withoutValue.get(0) + " needs a value");
        }
        for (Map.Entry<String, List<String>> e : options.entrySet()) {
            List<String> v = e.getValue();
            if (v.size() > 1 && !repeatable.contains(e.getKey()) && !flags.contains(e.getKey())) {
                // the last one won, unsaid: '--threshold 0.9 ... --threshold 0.1' ran at 0.1
                throw new UsageException("--" + e.getKey() + " given " + v.size() + " times (" + String.join(", ", v)
                        + "): give it once");
            }
        }
        for (Map.Entry<String, List<String>> e : options.entrySet()) {
            // no option takes an empty value: --model "" was read as the current folder
            if (!flags.contains(e.getKey()) && e.getValue().stream().anyMatch(String::isBlank)) {
                throw new UsageException("--" + e.getKey() + " needs a value, not an empty one");
            }
        }
        if (unexpected != null) {
            throw new UsageException("unexpected argument '" + unexpected + "'");
        }
    }

    public int getInt(String name, int def) throws UsageException {
        String v = get(name);
        try {
            return v == null ? def : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a whole number, not '" + v + "'");
        }
    }

    public double getDouble(String name, double def) throws UsageException {
        String v = get(name);
        try {
            return v == null ? def : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number, not '" + v + "'");
        }
    }

    public static final class UsageException extends Exception {
        public UsageException(String m) {
            super(m);
        }
    }

    /** A number in [0, 1] (score thresholds, IoU), refused with one line otherwise. */
    public double getFraction(String name, double def) throws UsageException {
        double v = getDouble(name, def);
        if (!(v >= 0 && v <= 1)) {
            throw new UsageException("--" + name + " must be between 0 and 1, not " + get(name));
        }
        return v;
    }

    /** A whole number of at least {@code min}, refused with one line otherwise. */
    public int getInt(String name, int def, int min) throws UsageException {
        return getInt(name, def, min, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}. */
    public int getInt(String name, int def, int min, int max) throws UsageException {
        int v = getInt(name, def);
        if (v < min || v > max) {
            throw new UsageException("--" + name + (max == Integer.MAX_VALUE ? " must be at least " + min
                    : " must be from " + min + " to " + max) + ", not " + v);
        }
        return v;
    }
}
