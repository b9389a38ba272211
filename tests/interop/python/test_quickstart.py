"""The README's quickstart scripts (Python and Node) run against a real Verify.Server: a user types the
code from the SMS and the script reports it valid."""

import os
import shutil
import subprocess
import time
import unittest

import verify_e2e_support as support

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_DIR = os.path.normpath(os.path.join(HERE, "..", "node"))
capture = None
server = None


def setUpModule():
    global capture, server
    capture, server = support.start_capture_and_server()


def tearDownModule():
    if server is not None:
        server.stop()
    if capture is not None:
        capture.stop()


class QuickstartTests(unittest.TestCase):

    def run_quickstart(self, command, number, cwd):
        process = subprocess.Popen(command + [number, "--address", server.address], cwd=cwd, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 30
            while not capture.to(number) and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
            self.assertTrue(capture.to(number), "the quickstart sent no SMS")
            output, _ = process.communicate(capture.to(number)[-1].code + "\n", timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        return process.returncode, output

    def test_python_quickstart_right_code_is_valid(self):
        code, output = self.run_quickstart(["/usr/bin/python3", os.path.join(HERE, "quickstart.py")], "+8613900011111", HERE)

        self.assertEqual(0, code, output)
        self.assertIn("code sent to +86 139****1111", output)
        self.assertIn("valid=True status=VERIFICATION_STATUS_APPROVED", output)

    @unittest.skipUnless(shutil.which("node") and os.path.isdir(os.path.join(NODE_DIR, "node_modules")), "node and npm ci needed")
    def test_node_quickstart_right_code_is_valid(self):
        code, output = self.run_quickstart(["node", os.path.join(NODE_DIR, "quickstart.mjs")], "+8613900022222", NODE_DIR)

        self.assertEqual(0, code, output)
        self.assertIn("code sent to +86 139****2222", output)
        self.assertIn("valid=true status=VERIFICATION_STATUS_APPROVED", output)
