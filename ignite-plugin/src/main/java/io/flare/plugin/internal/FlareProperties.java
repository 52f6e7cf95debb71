package io.flare.plugin.internal;

import io.flare.api.exception.FlareException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the network system properties Flare's configuration files read ({@code flare.host}, the
 * ports and {@code flare.discovery.addresses}) before a node starts, so a wrong value fails at once
 * naming the property and the value, instead of with Ignite's words ("Argument is invalid: port")
 * or after the whole join timeout. Only properties that are set are checked.
 */
public final class FlareProperties {
  private FlareProperties() {}

  private static final Pattern HOST_PORT =
      Pattern.compile("^([^:\\[\\]]+):(\\d+)(?:\\.\\.(\\d+))?$");
  private static final Pattern BRACKETED =
      Pattern.compile("^\\[([^\\]]+)\\](?::(\\d+)(?:\\.\\.(\\d+))?)?$");

  /**
   * Throws {@link FlareException} naming the first bad property; {@code source} says where from.
   */
  public static void check(String source) {
    String why = problem();
    if (why != null) {
      throw new FlareException("Cannot start a Flare node from " + source + ": " + why);
    }
  }

  /** The first bad property, in words, or null. */
  public static String problem() {
    for (String p : new String[] {"flare.discovery.port", "flare.communication.port"}) {
      String v = System.getProperty(p);
      if (v != null) {
        Integer port = port(v.trim());
        if (port == null) {
          return "system property " + p + "=" + v + " is not a port number (1..65535)";
        }
        String range = System.getProperty(p + ".range");
        if (range != null) {
          Integer r = integer(range.trim());
          if (r == null || r < 0 || port + r > 65535) {
            return "system property "
                + p
                + ".range="
                + range
                + " is not a port range (0.."
                + (65535 - port)
                + " from port "
                + port
                + ")";
          }
        }
      }
    }
    String host = System.getProperty("flare.host");
    if (host != null) {
      String h = host.trim();
      try {
        InetAddress a = InetAddress.getByName(h);
        if (!a.isAnyLocalAddress()
            && NetworkInterface.getByInetAddress(a) == null
            && !canBind(a)) { // 127.0.0.2 has no interface of its own but binds on Linux
          return "system property flare.host="
              + host
              + " ("
              + a.getHostAddress()
              + ") is not an address of this machine: set it to one of its own addresses"
              + " (127.0.0.1 for a single machine)";
        }
      } catch (UnknownHostException e) {
        return "system property flare.host=" + host + " cannot be resolved: " + e.getMessage();
      } catch (SocketException e) {
        // cannot list the interfaces: leave the check to Ignite
      }
    }
    String addresses = System.getProperty("flare.discovery.addresses");
    if (addresses != null) {
      for (String raw : addresses.split(",")) {
        String a = raw.trim();
        String bad = badAddress(a);
        if (bad != null) {
          return "system property flare.discovery.addresses="
              + addresses
              + " has a bad entry '"
              + a
              + "': "
              + bad
              + " (write host, host:port or host:port..port, separated by commas)";
        }
      }
    }
    return null;
  }

  private static boolean canBind(InetAddress a) {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, a)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static String badAddress(String a) {
    if (a.isEmpty()) {
      return "it is empty";
    }
    Matcher m = BRACKETED.matcher(a);
    if (m.matches()) {
      return badPorts(m.group(2), m.group(3));
    }
    m = HOST_PORT.matcher(a);
    if (m.matches()) {
      return badPorts(m.group(2), m.group(3));
    }
    long colons = a.chars().filter(c -> c == ':').count();
    if (colons == 0) {
      return null; // a host name or IPv4 address without a port
    }
    if (colons == 1) {
      return "the part after ':' is not a port or a port range";
    }
    // more than one colon and no brackets: only an IPv6 literal without a port will do
    if (!a.matches("^[0-9A-Fa-f:.]+(%\\w+)?$")) {
      return "it is neither host:port nor an IPv6 address (write [address]:port for IPv6)";
    }
    return null;
  }

  private static String badPorts(String from, String to) {
    if (from == null) {
      return null;
    }
    Integer a = port(from);
    Integer b = to == null ? a : port(to);
    if (a == null || b == null) {
      return "a port is outside 1..65535";
    }
    if (b < a) {
      return "the port range ends before it starts";
    }
    return null;
  }

  private static Integer port(String s) {
    Integer v = integer(s);
    return v != null && v >= 1 && v <= 65535 ? v : null;
  }

  private static Integer integer(String s) {
    try {
      return Integer.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
