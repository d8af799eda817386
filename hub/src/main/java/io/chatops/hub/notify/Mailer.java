package io.chatops.hub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * One attempt to hand an e-mail notification to its SMTP server, with the same 10 s limits as a
 * webhook (Jakarta Mail's default is to wait for ever). The Message-ID derives from the
 * notification's id, so that a retry of a mail the server took but did not confirm is the same mail.
 * Network trouble and 4xx replies are tried again; 5xx replies and a refused login are not.
 */
final class Mailer {
    private static final ObjectMapper JSON = new ObjectMapper();

    Sender.Result send(MailSettings settings, String id, String body) {
        try {
            JsonNode mail = JSON.readTree(body);
            Session session = Session.getInstance(properties(settings));
            MimeMessage message = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", "<" + id + "@chatops-hub>");
                }
            };
            message.setFrom(new InternetAddress(settings.from()));
            for (String to : settings.to()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            }
            message.setSubject(mail.path("subject").asText(), "UTF-8");
            message.setSentDate(new Date());
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.path("text").asText(), "UTF-8", "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.path("html").asText(), "UTF-8", "html");
            message.setContent(new MimeMultipart("alternative", text, html));
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
                transport.sendMessage(message, message.getAllRecipients());
            }
            return new Sender.Result(true, false, null, null);
        } catch (AuthenticationFailedException e) {
            return new Sender.Result(false, false, null, Sender.shorten("the SMTP server refused the login: " + e.getMessage()));
        } catch (SendFailedException e) {
            return refused(e);
        } catch (MessagingException e) {
            return new Sender.Result(false, true, null, Sender.shorten(cause(e)));
        } catch (IOException e) {
            throw new IllegalStateException("a stored e-mail notification is damaged", e);
        }
    }

    /** The server answered with an error: 4xx (busy, greylisting) is worth another try, 5xx is not. */
    private static Sender.Result refused(SendFailedException e) {
        int code = 0;
        String reply = e.getMessage();
        for (Exception next = e; next != null; next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPSendFailedException failed) {
                code = failed.getReturnCode();
                reply = failed.getMessage();
            } else if (next instanceof SMTPAddressFailedException failed) {
                code = failed.getReturnCode();
                reply = failed.getAddress() + ": " + failed.getMessage();
            }
        }
        return new Sender.Result(false, code >= 400 && code < 500, null, Sender.shorten("the SMTP server refused the mail: " + reply));
    }

    /** What went wrong on the way, named by its root: a refused connection, a timeout, a TLS failure. */
    private static String cause(MessagingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root == e ? e.getMessage() : root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return "cannot reach the SMTP server: " + what;
    }

    private static Properties properties(MailSettings settings) {
        String limit = String.valueOf(Sender.TIMEOUT.toMillis());
        Properties properties = new Properties();
        properties.put("mail.smtp.host", settings.host());
        properties.put("mail.smtp.port", String.valueOf(settings.port()));
        properties.put("mail.smtp.connectiontimeout", limit);
        properties.put("mail.smtp.timeout", limit);
        properties.put("mail.smtp.writetimeout", limit);
        properties.put("mail.smtp.auth", String.valueOf(settings.username() != null));
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        switch (settings.tls()) {
            case STARTTLS -> {
                properties.put("mail.smtp.starttls.enable", "true");
                properties.put("mail.smtp.starttls.required", "true"); // never fall back to sending the login in the clear
            }
            case TLS -> properties.put("mail.smtp.ssl.enable", "true");
            case NONE -> { }
        }
        return properties;
    }
}
