package dev.ranklab.webhooks;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

import javax.net.ssl.SSLException;

/**
 * Why a delivery failed, in words an admin can act on: which host and port, and what happened there. Exception
 * class names and the JDK's messages ("ConnectException", "HTTP/1.1 header parser received no bytes") mean nothing
 * to the person reading the webhooks page, so none of them are kept.
 */
final class DeliveryErrors {

    private DeliveryErrors() {
    }

    /** A failure to get any answer from the webhook's URL. */
    static String describe(URI url, Throwable failure) {
        String where = where(url);
        if (has(failure, HttpConnectTimeoutException.class)) {
            return "Could not connect to " + where + " (no answer within 5 seconds)";
        }
        if (has(failure, HttpTimeoutException.class)) {
            return where + " accepted the connection but sent no answer within 10 seconds";
        }
        if (has(failure, UnknownHostException.class) || has(failure, UnresolvedAddressException.class)) {
            return "Could not find the host " + url.getHost() + " (its name does not resolve)";
        }
        if (has(failure, NoRouteToHostException.class)) {
            return "Could not reach " + where + " (no route to the host)";
        }
        if (has(failure, SSLException.class)) {
            return "Could not set up a secure connection to " + where
                    + " (TLS handshake failed: check the certificate, or use http:// if it has none)";
        }
        if (has(failure, ConnectException.class)) {
            return "Could not connect to " + where + " (connection refused)";
        }
        return "The connection to " + where + " broke off before an answer came";
    }

    /** A receiver that answered, but not with a 2xx. */
    static String answered(int status) {
        String meaning = switch (status) {
            case 301, 302, 303, 307, 308 -> " (a redirect; webhooks do not follow redirects, give the final URL)";
            case 400 -> " (Bad Request)";
            case 401 -> " (Unauthorized)";
            case 403 -> " (Forbidden)";
            case 404 -> " (Not Found: check the URL's path)";
            case 405 -> " (Method Not Allowed: the URL must accept POST)";
            case 408 -> " (Request Timeout)";
            case 413 -> " (Payload Too Large)";
            case 429 -> " (Too Many Requests)";
            case 500 -> " (Internal Server Error)";
            case 502 -> " (Bad Gateway)";
            case 503 -> " (Service Unavailable)";
            case 504 -> " (Gateway Timeout)";
            default -> "";
        };
        return "The receiver answered HTTP " + status + meaning + "; a delivery counts when it answers 2xx";
    }

    private static String where(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        return url.getHost() + ":" + port;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
