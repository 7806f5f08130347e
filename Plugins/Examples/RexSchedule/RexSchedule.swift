import LawfitCore
