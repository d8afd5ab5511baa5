print("rcc")
