package io.chatops.agent.config;

import java.util.EnumMap;
import java.util.Map;

/**
 * The agent's arguments, Go style: {@code -name value}, {@code -name=value}, {@code --name value};
 * switches take no value ({@code -disable-exec}) but accept {@code =true} or {@code =false}.
 */
public final class CommandLine {
    private final Map<Option, Setting> settings;

    private CommandLine(Map<Option, Setting> settings) {
        this.settings = settings;
    }

    public static CommandLine parse(String... args) throws ConfigException {
        Map<Option, Setting> settings = new EnumMap<>(Option.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new ConfigException("unexpected argument \"" + arg + "\": options start with - (see -help)");
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int equals = body.indexOf('=');
            String name = equals < 0 ? body : body.substring(0, equals);
            Option option = byFlagName(name);
            if (option == null) {
                throw new ConfigException("unknown option -" + name + " (see -help)");
            }
            String value;
            if (equals >= 0) {
                value = body.substring(equals + 1);
            } else if (option.isSwitch()) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException("option -" + name + " needs a value");
            }
            settings.put(option, Setting.fromFlag(option, value));
        }
        return new CommandLine(settings);
    }

    Setting get(Option option) {
        return settings.get(option);
    }

    public boolean wantsVersion() {
        return settings.containsKey(Option.VERSION);
    }

    public boolean wantsHelp() {
        return settings.containsKey(Option.HELP);
    }

    public static String usage() {
        return Option.usage();
    }

    private static Option byFlagName(String name) {
        for (Option option : Option.values()) {
            if (option.flagName().equals(name) || (option == Option.HELP && name.equals("h"))) {
                return option;
            }
        }
        return null;
    }
}
