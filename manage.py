#!/usr/bin/env python
from murasil.__main__ import main

if __name__ == "__main__":
    main()
