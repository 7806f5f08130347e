print("lawfit")
