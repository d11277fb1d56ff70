"""Submission with smtplib: AUTH not offered before STARTTLS, then STARTTLS + LOGIN + send. Prints one result per step."""
import smtplib
import ssl
import sys

port, user, password, recipient = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
    client.ehlo("python.example")
    try:
        client.login(user, password)
        print("plaintext login accepted")
    except smtplib.SMTPNotSupportedError:
        # The server did not list AUTH, so smtplib never sent the password.
        print("plaintext login not offered")
    except smtplib.SMTPException as error:
        print(f"plaintext login refused {getattr(error, 'smtp_code', '')}")
    client.starttls(context=context)
    client.ehlo("python.example")
    code, _ = client.login(user, password)
    print(f"login {code}")
    message = f"From: <{user}>\r\nTo: <{recipient}>\r\nSubject: submitted by smtplib\r\n\r\nHello.\r\n"
    refused = client.sendmail(user, [recipient], message.encode())
    print("sent" if not refused else f"refused {refused}")
