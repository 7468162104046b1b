// A page script of PageScriptsHttpTest.
document.documentElement.dataset.scripted = "yes";
