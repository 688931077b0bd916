Console.WriteLine("sample: to be written");
