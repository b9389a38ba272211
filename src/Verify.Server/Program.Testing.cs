// Lets tests host the real application (WebApplicationFactory-style) through the Program type.
public partial class Program;
