"""Sends one message to the Mailhive MX with smtplib (STARTTLS when offered), prints "sent"."""
import smtplib
import ssl
import sys

port, recipient = int(sys.argv[1]), sys.argv[2]
message = (
    "From: <py@outside.example>\r\n"
    f"To: <{recipient}>\r\n"
    "Subject: from smtplib\r\n"
    "\r\n"
    "Sent by Python.\r\n"
)
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
    client.ehlo("python.example")
    assert client.has_extn("starttls"), "STARTTLS not offered"
    client.starttls(context=context)
    client.ehlo("python.example")
    refused = client.sendmail("py@outside.example", [recipient], message.encode())
    assert not refused, refused
print("sent")
