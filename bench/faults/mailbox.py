"""An e-mail backend for the fault scripts: one line per message sent (recipient, subject),
appended to FAULTS_MAILBOX, so that check.py counts how many times each confirmation went out.
FAULTS_MAIL_DELAY (seconds, default 0.3) stands for an SMTP server's answer time, so that a
`kill -9` of the task worker lands in the middle of a task, as it would in production."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ.get("FAULTS_MAILBOX", "/tmp/faults-mailbox.txt")
        delay = float(os.environ.get("FAULTS_MAIL_DELAY", "0.3"))
        sent = 0
        for message in email_messages:
            time.sleep(delay)
            line = "\t".join([",".join(message.to), message.subject.replace("\t", " ")]) + "\n"
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            sent += 1
        return sent
