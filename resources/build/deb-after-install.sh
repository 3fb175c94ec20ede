#!/bin/sh
# After the deb is installed: udev picks up the POS rules (scanners, serial ports, USB printers)
# without a reboot. A machine without udev running (a container) is not an error.
set -e
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules >/dev/null 2>&1 || true
  udevadm trigger --subsystem-match=hidraw --subsystem-match=tty --subsystem-match=usbmisc >/dev/null 2>&1 || true
fi
exit 0
