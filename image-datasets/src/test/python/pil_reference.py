#!/usr/bin/env python3
"""PIL's view of the image files TestImages writes: for each file, its sha256, PIL's mode, size and the sha256 of
Image.open(f).convert("RGB") as raw bytes (what torchvision's default loader trains on), printed as Java map entries
for PilReferenceTest. Run with Debian 12's /usr/bin/python3 and python3-pil (9.4):

    java -cp ... dev.tlab.images.TestImages DIR && /usr/bin/python3 pil_reference.py DIR
"""
import hashlib
import os
import sys

import PIL
from PIL import Image


def main(folder):
    print("// PIL " + PIL.__version__)
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        data = open(path, "rb").read()
        try:
            image = Image.open(path)
            mode = image.mode
            rgb = image.convert("RGB")
            digest = hashlib.sha256(rgb.tobytes()).hexdigest()
            print('Map.entry("%s", new Reference("%s", "%s", %d, %d, "%s")),' % (
                name, hashlib.sha256(data).hexdigest(), mode, rgb.size[0], rgb.size[1], digest))
        except Exception as e:  # printed so that a file PIL refuses is visible
            print('// %s: PIL refuses it: %s' % (name, e))


if __name__ == "__main__":
    main(sys.argv[1])
